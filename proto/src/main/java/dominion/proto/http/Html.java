package dominion.proto.http;

/** Helpers for the hand-written status pages. */
public final class Html {
  private Html() {}

  /** Escapes text for HTML element content and attribute values. */
  public static String escape(Object value) {
    String s = String.valueOf(value);
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** The head of a status page with a title and the shared style. */
  public static String header(String title) {
    return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>"
        + escape(title)
        + "</title><style>body{font-family:sans-serif;margin:1.5em}"
        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;"
        + "text-align:left}.warn{color:#b00;font-weight:bold}</style></head><body><h1>"
        + escape(title)
        + "</h1>";
  }

  public static String footer() {
    return "</body></html>";
  }
}
