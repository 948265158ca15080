package dominion.core.image;

/**
 * An image's name: a POSIX-like path such as {@code web/prod/2026-11-24.1}. A leading {@code /} is
 * dropped; components may not be empty, {@code .} or {@code ..}, and hold only letters, digits and
 * {@code . _ - + @ :}.
 */
public record ImageName(String value) implements Comparable<ImageName> {
  public ImageName {
    value = clean(value);
  }

  public static ImageName of(String name) {
    return new ImageName(name);
  }

  /** The directory holding this image, or "" at the top. */
  public String directory() {
    int slash = value.lastIndexOf('/');
    return slash < 0 ? "" : value.substring(0, slash);
  }

  /**
   * Checks and cleans a name (an image's or a directory's).
   *
   * @throws IllegalArgumentException naming the bad name and what is wrong
   */
  public static String clean(String name) {
    if (name == null) {
      throw new IllegalArgumentException("bad image name: missing");
    }
    String v = name.startsWith("/") ? name.substring(1) : name;
    if (v.isEmpty()) {
      throw new IllegalArgumentException("bad image name \"" + name + "\": empty");
    }
    if (v.length() > 1024) {
      throw new IllegalArgumentException("bad image name \"" + name + "\": too long");
    }
    for (String part : v.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        throw new IllegalArgumentException(
            "bad image name \"" + name + "\": empty, \".\" or \"..\" component");
      }
      for (int i = 0; i < part.length(); i++) {
        char c = part.charAt(i);
        boolean ok = Character.isLetterOrDigit(c) || "._-+@:".indexOf(c) >= 0;
        if (!ok) {
          throw new IllegalArgumentException(
              "bad image name \"" + name + "\": character '" + c + "' is not allowed");
        }
      }
    }
    return v;
  }

  @Override
  public int compareTo(ImageName o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
