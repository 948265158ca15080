package dominion.proto.imageserver;

import java.util.Map;

/**
 * Adds an image. This RPC is an upload: the request travels as the URL's query parameters (see
 * {@link #toParams()}) and the body is the image in {@link dominion.core.image.ImageCodec}'s
 * encoding (the compact tree, never verbose JSON). Every object the tree names must already be
 * stored ({@code FAILED_PRECONDITION} names the first missing ones), the name's directory must
 * exist ({@code FAILED_PRECONDITION}), and the name must never have been used ({@code
 * ALREADY_EXISTS}, also for deleted names). The server sets {@code createdOnMillis} to its own
 * clock, and {@code createdBy} to the certificate's user when there is one.
 *
 * @param name the new image's name, e.g. {@code web/prod/2026-11-24.1}; required
 */
public record AddImageRequest(String name) {
  private static final String NAME = "name";

  /** The query parameters that carry this request. */
  public Map<String, String> toParams() {
    return Map.of(NAME, name);
  }

  /** Reads the request back from query parameters; a missing name is null. */
  public static AddImageRequest fromParams(Map<String, String> params) {
    return new AddImageRequest(params.get(NAME));
  }
}
