package dominion.proto.http;

import java.nio.charset.StandardCharsets;

/** What a {@link Page} answers. */
public record PageResponse(int status, String contentType, byte[] body) {
  public static PageResponse html(String html) {
    return new PageResponse(200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
  }

  public static PageResponse text(String text) {
    return new PageResponse(
        200, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }

  public static PageResponse json(byte[] json) {
    return new PageResponse(200, "application/json", json);
  }

  /** Prometheus' text exposition format, version 0.0.4. */
  public static PageResponse prometheus(String text) {
    return new PageResponse(
        200, "text/plain; version=0.0.4; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }
}
