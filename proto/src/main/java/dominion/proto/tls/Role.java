package dominion.proto.tls;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Method presets for the certificates a fleet issues ({@code certtool issue --role NAME}). Each
 * grants the narrowest set of methods the role's program calls; see docs/security.md.
 */
public enum Role {
  /** A subd fetches objects from the imageserver and nothing else. */
  SUBD("subd", "ObjectServer.GetObjects"),
  /** The dominator drives subds and reads images to compute what each must fetch. */
  DOMINATOR(
      "dominator",
      "Subd.*",
      "ImageServer.GetImage",
      "ImageServer.ListImages",
      "ImageServer.CheckImage",
      "ImageServer.ListDirectories",
      "ImageServer.FindLatestImage",
      "ImageServer.GetImageUpdates",
      "ObjectServer.CheckObjects"),
  /** A replica imageserver mirrors its master: images, directories, updates and objects. */
  IMAGESERVER(
      "imageserver",
      "ImageServer.GetImageUpdates",
      "ImageServer.GetImage",
      "ImageServer.ListImages",
      "ImageServer.CheckImage",
      "ImageServer.ListDirectories",
      "ImageServer.FindLatestImage",
      "ObjectServer.GetObjects",
      "ObjectServer.CheckObjects"),
  /**
   * An image builder uploads objects and adds images, with the reads {@code imagetool add} needs.
   */
  IMAGE_BUILDER(
      "image-builder",
      "ImageServer.AddImage",
      "ObjectServer.AddObjects",
      "ObjectServer.CheckObjects",
      "ImageServer.CheckImage",
      "ImageServer.GetImage",
      "ImageServer.ListImages",
      "ImageServer.ListDirectories",
      "ImageServer.FindLatestImage"),
  /**
   * mdbd serves only its status pages and calls no one: its certificate grants nothing. (A
   * certificate needs no method to serve; the methods are what its holder may call on others.)
   */
  MDBD("mdbd"),
  /** An administrator may call every method. */
  ADMIN("admin", "*");

  private final String cliName;
  private final List<MethodGlob> methods;

  Role(String cliName, String... methods) {
    this.cliName = cliName;
    this.methods = Arrays.stream(methods).map(MethodGlob::new).toList();
  }

  /** The name used on the command line, for example {@code image-builder}. */
  public String cliName() {
    return cliName;
  }

  public List<MethodGlob> methods() {
    return methods;
  }

  /**
   * The role named {@code name} on the command line.
   *
   * @throws IllegalArgumentException naming the valid roles if there is none such
   */
  public static Role fromCliName(String name) {
    for (Role r : values()) {
      if (r.cliName.equals(name)) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown role \"" + name + "\": use one of " + names());
  }

  /** The command-line names of all roles, comma-separated. */
  public static String names() {
    return Arrays.stream(values()).map(Role::cliName).collect(Collectors.joining(", "));
  }
}
