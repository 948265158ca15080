package dominion.mdb.mdbd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One MDB source named in mdbd's sources file. The file has one source per line, {@code KIND
 * LOCATION}, where KIND is {@code json} (a JSON array of machines, the MDB file's own format) or
 * {@code text} (lines {@code host [required [planned]]}) and LOCATION a file path or an {@code
 * http://}/{@code https://} URL. Blank lines and lines starting with {@code #} are ignored. Later
 * sources override earlier ones, field by field.
 */
public record SourceSpec(Kind kind, String location) {
  /** The formats a source can have. */
  public enum Kind {
    JSON,
    TEXT
  }

  /** True if the location is an HTTP(S) URL rather than a file. */
  public boolean isUrl() {
    return location.startsWith("http://") || location.startsWith("https://");
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase(Locale.ROOT) + " " + location;
  }

  /**
   * Reads a sources file.
   *
   * @throws IllegalArgumentException naming the file and line of a malformed line
   */
  public static List<SourceSpec> load(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<SourceSpec> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split("\\s+");
      if (parts.length != 2) {
        throw new IllegalArgumentException(
            "bad sources file "
                + file
                + " line "
                + (i + 1)
                + " \""
                + line
                + "\": want KIND LOCATION (json FILE-or-URL, text FILE-or-URL)");
      }
      Kind kind =
          switch (parts[0].toLowerCase(Locale.ROOT)) {
            case "json" -> Kind.JSON;
            case "text" -> Kind.TEXT;
            default ->
                throw new IllegalArgumentException(
                    "bad sources file "
                        + file
                        + " line "
                        + (i + 1)
                        + ": unknown kind \""
                        + parts[0]
                        + "\", want json or text");
          };
      String location = parts[1];
      if (!location.contains("://")) {
        // Relative paths are relative to the sources file, not to mdbd's working directory.
        Path parent = file.toAbsolutePath().getParent();
        location = parent.resolve(location).toString();
      }
      out.add(new SourceSpec(kind, location));
    }
    return out;
  }
}
