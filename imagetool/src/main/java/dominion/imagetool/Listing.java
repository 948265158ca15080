package dominion.imagetool;

import dominion.core.fs.DirectoryInode;
import dominion.core.fs.Entry;
import dominion.core.fs.FileTree;
import dominion.core.fs.FileType;
import dominion.core.fs.Inode;
import dominion.core.fs.RegularInode;
import dominion.core.fs.SpecialInode;
import dominion.core.fs.SymlinkInode;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * {@code imagetool show}'s lines, like {@code ls -l}: mode, links (names of the inode in this
 * tree), uid, gid, size (devices: major, minor), mtime in UTC, path, then the SHA-512 of a regular
 * file (and {@code cap=HEX} if it has a capability) or {@code -> target} of a symlink.
 */
final class Listing {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  private Listing() {}

  static void print(FileTree tree, PrintWriter out) {
    Map<Long, Integer> links = tree.linkCounts();
    for (Entry e : tree.entries()) {
      out.print(line(e, links.get(e.inum())));
      out.print('\n');
    }
  }

  static String line(Entry e, int links) {
    Inode inode = e.inode();
    StringBuilder line = new StringBuilder();
    line.append(modeString(inode.mode()))
        .append(' ')
        .append(links)
        .append(' ')
        .append(Integer.toUnsignedString(inode.uid()))
        .append(' ')
        .append(Integer.toUnsignedString(inode.gid()))
        .append(' ')
        .append(size(inode))
        .append(' ')
        .append(TIME.format(Instant.EPOCH.plusNanos(inode.mtimeNanos())))
        .append(' ')
        .append(e.path());
    switch (inode) {
      case RegularInode r -> {
        line.append(' ').append(r.hash().hex());
        if (r.capability() != null) {
          line.append(" cap=").append(r.capability());
        }
      }
      case SymlinkInode s -> line.append(" -> ").append(s.target());
      case DirectoryInode d -> {}
      case SpecialInode s -> {}
    }
    return line.toString();
  }

  private static String size(Inode inode) {
    return switch (inode) {
      case RegularInode r -> Long.toString(r.size());
      case SymlinkInode s -> Integer.toString(s.target().getBytes(StandardCharsets.UTF_8).length);
      case DirectoryInode d -> "0";
      case SpecialInode s ->
          s.type() == FileType.FIFO
              ? "0"
              : SpecialInode.major(s.rdev()) + ", " + SpecialInode.minor(s.rdev());
    };
  }

  /** The ten-character mode of {@code ls -l}, e.g. {@code -rwsr-xr-x}. */
  static String modeString(int mode) {
    char type =
        switch (FileType.ofMode(mode)) {
          case DIRECTORY -> 'd';
          case REGULAR -> '-';
          case SYMLINK -> 'l';
          case CHAR_DEVICE -> 'c';
          case BLOCK_DEVICE -> 'b';
          case FIFO -> 'p';
        };
    char[] s = new char[10];
    s[0] = type;
    String rwx = "rwxrwxrwx";
    for (int i = 0; i < 9; i++) {
      s[i + 1] = (mode & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-';
    }
    special(s, 3, (mode & 04000) != 0, 's');
    special(s, 6, (mode & 02000) != 0, 's');
    special(s, 9, (mode & 01000) != 0, 't');
    return new String(s);
  }

  private static void special(char[] s, int at, boolean set, char lower) {
    if (set) {
      s[at] = s[at] == '-' ? Character.toUpperCase(lower) : lower;
    }
  }
}
