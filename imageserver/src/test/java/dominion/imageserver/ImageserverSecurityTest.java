package dominion.imageserver;

import dominion.core.fs.DirectoryInode;
import dominion.core.fs.FileTree;
import dominion.core.fs.RegularInode;
import dominion.core.hash.Hash;
import dominion.core.image.Image;
import dominion.core.image.ImageMetadata;
import dominion.core.image.ImageName;
import dominion.core.image.Triggers;
import dominion.proto.imageserver.ImageServerClient;
import dominion.proto.imageserver.ObjectClient;
import dominion.proto.rpc.DaemonSecurityContract;
import dominion.proto.rpc.RpcClient;
import dominion.proto.tls.Role;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * The imageserver's security through its command line (see {@link DaemonSecurityContract}): adding
 * objects and images, making directories, changing expiry and deleting are refused to intruders.
 */
class ImageserverSecurityTest extends DaemonSecurityContract {
  private static final byte[] OBJECT = "the content of /motd\n".getBytes(StandardCharsets.UTF_8);
  private static final Hash OBJECT_HASH = Hash.of(OBJECT);
  private static final ImageName IMAGE = ImageName.of("secured/1");

  @Override
  protected String daemon() {
    return "imageserver";
  }

  @Override
  protected Role ownRole() {
    return Role.IMAGESERVER;
  }

  @Override
  protected Role rightfulRole() {
    return Role.ADMIN;
  }

  @Override
  protected Running start(Path dir, List<String> securityFlags, PrintWriter err) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--data-dir",
                dir.resolve("data").toString(),
                "--bind",
                "127.0.0.1",
                "--port",
                "0"));
    args.addAll(securityFlags);
    ImageserverMain main = new ImageserverMain();
    CommandLine cli = new CommandLine(main);
    cli.setErr(err);
    cli.parseArgs(args.toArray(String[]::new));
    Imageserver server = main.start();
    return server == null ? null : new Running(server, dir, server.port());
  }

  private static Image image() {
    FileTree tree =
        new FileTree.Builder()
            .add("/", 1, DirectoryInode.of(0755, 0, 0, 0))
            .add("/motd", 2, RegularInode.of(0644, 0, 0, 0, OBJECT.length, OBJECT_HASH))
            .build();
    return new Image(tree, null, Triggers.NONE, new ImageMetadata("test", 0, 0, null, null));
  }

  @Override
  protected List<Mutation> mutations() {
    return List.of(
        new Mutation(
            "ObjectServer.AddObjects",
            c ->
                new ObjectClient(c)
                    .addObjects(
                        sink ->
                            sink.add(OBJECT_HASH, OBJECT.length, new ByteArrayInputStream(OBJECT))),
            true),
        new Mutation(
            "ImageServer.MakeDirectory",
            c -> new ImageServerClient(c).makeDirectory(IMAGE.directory()),
            true),
        new Mutation(
            "ImageServer.AddImage", c -> new ImageServerClient(c).addImage(IMAGE, image()), true),
        new Mutation(
            "ImageServer.ChangeImageExpiration",
            c -> new ImageServerClient(c).changeImageExpiration(IMAGE, 4_102_444_800_000L),
            true),
        new Mutation(
            "ImageServer.DeleteImage", c -> new ImageServerClient(c).deleteImage(IMAGE), true));
  }

  @Override
  protected Object state(Running running, RpcClient admin) {
    ImageServerClient images = new ImageServerClient(admin);
    List<ImageName> names = images.listImages();
    return List.of(
        names,
        images.listDirectories(),
        new ObjectClient(admin).missing(List.of(OBJECT_HASH)),
        names.contains(IMAGE) ? images.getImage(IMAGE).metadata().expiresAtMillis() : -1L);
  }
}
