package dominion.imagetool;

import dominion.core.fs.Entry;
import dominion.core.fs.FileTree;
import dominion.core.fs.RegularInode;
import dominion.core.hash.Hash;
import dominion.core.image.Filter;
import dominion.core.image.Image;
import dominion.core.image.ImageMetadata;
import dominion.core.image.ImageName;
import dominion.core.image.Triggers;
import dominion.proto.imageserver.AddImageResponse;
import dominion.proto.imageserver.AddObjectsResponse;
import dominion.proto.imageserver.CheckImageResponse;
import dominion.proto.rpc.ErrorCode;
import dominion.proto.rpc.RpcException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "add",
    description = {
      "Add an image from a directory or an archive (.tar, .tar.gz, .tgz, .tar.xz,"
          + " .tar.zst). FILTERFILE \"\" makes a sparse image; TRIGGERSFILE \"\" means no"
          + " triggers. Paths the filter matches are left out of the image.",
      "Only the file contents the server lacks are uploaded."
    })
final class AddCommand extends ToolCommand {
  @Parameters(index = "0", paramLabel = "NAME")
  String name;

  @Parameters(index = "1", paramLabel = "SOURCE", description = "A directory or an archive.")
  String source;

  @Parameters(index = "2", paramLabel = "FILTERFILE")
  String filterFile;

  @Parameters(index = "3", paramLabel = "TRIGGERSFILE")
  String triggersFile;

  @Override
  public Integer call() throws Exception {
    ImageName image = imageName("NAME", name);
    Filter filter = loadFilter(filterFile);
    Triggers triggers = loadTriggers(triggersFile);
    Path sourcePath = Path.of(source);
    if (!Files.exists(sourcePath)) {
      throw new IOException("add " + image + ": source " + source + " does not exist");
    }
    try (Connection c = connect()) {
      // Fail before the long part when the name cannot be used.
      CheckImageResponse check = c.images().checkImage(image);
      if (check.exists() || check.deleted()) {
        throw RpcException.alreadyExists(
            "add image "
                + image
                + ": the name is taken by "
                + (check.exists() ? "an image" : "a deleted image (names are never reused)"));
      }
      try (ContentSource content = Sources.open(sourcePath, filter)) {
        FileTree tree = content.tree();
        Map<Hash, Long> sizes = distinctContents(tree);
        List<Hash> missing = c.objects().missing(sizes.keySet());
        long missingBytes = missing.stream().mapToLong(sizes::get).sum();
        ProgressBar progress = new ProgressBar(err(), ProgressBar.onTerminal(), missingBytes);
        AddObjectsResponse uploaded = upload(c, content, new HashSet<>(missing), progress);
        progress.finish();
        Image made =
            new Image(
                tree,
                filter,
                triggers,
                new ImageMetadata(System.getProperty("user.name", ""), 0, 0, null, Map.of()));
        AddImageResponse r = c.images().addImage(image, made);
        out()
            .printf(
                Locale.ROOT,
                "added image %s%s: %d paths, %d files, %s (%d bytes) of file data;"
                    + " uploaded %d of %d objects, %s (%d bytes)%n",
                r.name(),
                filter == null ? " (sparse)" : "",
                tree.size(),
                regularFiles(tree),
                Sizes.human(tree.regularBytes()),
                tree.regularBytes(),
                uploaded.addedCount(),
                sizes.size(),
                Sizes.human(uploaded.addedBytes()),
                uploaded.addedBytes());
      }
    }
    return 0;
  }

  private AddObjectsResponse upload(
      Connection c, ContentSource content, Set<Hash> missing, ProgressBar progress)
      throws IOException {
    if (missing.isEmpty()) {
      return new AddObjectsResponse(List.of(), 0, 0);
    }
    try {
      return c.objects()
          .addObjects(
              sink ->
                  content.copyContents(
                      missing,
                      (hash, length, data) ->
                          sink.add(hash, length, new Counting(data, progress))));
    } catch (RpcException e) {
      if (e.code() == ErrorCode.INVALID_ARGUMENT) {
        throw new RpcException(
            e.code(),
            "upload contents of "
                + source
                + ": "
                + e.getMessage()
                + " (did a file change while imagetool ran?)",
            e);
      }
      throw e;
    }
  }

  private static Map<Hash, Long> distinctContents(FileTree tree) {
    Map<Hash, Long> sizes = new LinkedHashMap<>();
    for (Entry e : tree.entries()) {
      if (e.inode() instanceof RegularInode r) {
        sizes.putIfAbsent(r.hash(), r.size());
      }
    }
    return sizes;
  }

  private static long regularFiles(FileTree tree) {
    Set<Long> seen = new HashSet<>();
    for (Entry e : tree.entries()) {
      if (e.inode() instanceof RegularInode) {
        seen.add(e.inum());
      }
    }
    return seen.size();
  }

  /** Counts the bytes read through it into the progress bar. */
  private static final class Counting extends FilterInputStream {
    private final ProgressBar progress;

    Counting(InputStream in, ProgressBar progress) {
      super(in);
      this.progress = progress;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        progress.add(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        progress.add(n);
      }
      return n;
    }
  }
}
