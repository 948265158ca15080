package dominion.proto.http;

import java.util.Map;

/** A GET endpoint of a daemon (status page, metrics, health). Runs on the worker executor. */
@FunctionalInterface
public interface Page {
  /**
   * Renders the page.
   *
   * @param query the URL's query parameters (last value wins), never null
   */
  PageResponse render(Map<String, String> query) throws Exception;
}
