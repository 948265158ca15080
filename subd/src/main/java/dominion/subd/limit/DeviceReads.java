package dominion.subd.limit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Bytes the calling thread has caused to be read from storage devices: {@code read_bytes} of {@code
 * /proc/thread-self/io}, which counts only reads that reached a device (a page-cache hit counts
 * nothing). Only meaningful on platform threads. Where the file is missing, reports 0, so the disk
 * limit never applies: the stated fallback is "CPU limit only".
 */
public final class DeviceReads {
  private static final Path THREAD_IO = Path.of("/proc/thread-self/io");
  private static final byte[] KEY = "read_bytes: ".getBytes(StandardCharsets.US_ASCII);

  private DeviceReads() {}

  /** The calling thread's device reads so far, or 0 if the kernel does not say. */
  public static long ofCurrentThread() {
    byte[] text;
    try {
      text = Files.readAllBytes(THREAD_IO);
    } catch (IOException e) {
      return 0;
    }
    return parse(text);
  }

  static long parse(byte[] text) {
    outer:
    for (int i = 0; i + KEY.length <= text.length; i++) {
      if (i > 0 && text[i - 1] != '\n') {
        continue;
      }
      for (int k = 0; k < KEY.length; k++) {
        if (text[i + k] != KEY[k]) {
          continue outer;
        }
      }
      long v = 0;
      for (int j = i + KEY.length; j < text.length && text[j] >= '0' && text[j] <= '9'; j++) {
        v = v * 10 + (text[j] - '0');
      }
      return v;
    }
    return 0;
  }
}
