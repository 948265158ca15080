package dominion.mdb.tool;

import dominion.core.image.ImageName;

/** Checks of command-line values; each throws IllegalArgumentException naming the value. */
final class Arguments {
  private Arguments() {}

  /** A clean image name, or null for null. */
  static String imageName(String name) {
    return name == null ? null : ImageName.clean(name);
  }

  /** An address to dial (host name or IP literal without spaces), or null for null. */
  static String address(String address) {
    if (address == null) {
      return null;
    }
    if (address.isBlank()
        || address.chars().anyMatch(Character::isWhitespace)
        || address.contains("/")) {
      throw new IllegalArgumentException("bad address \"" + address + "\": want a host or IP");
    }
    return address;
  }
}
