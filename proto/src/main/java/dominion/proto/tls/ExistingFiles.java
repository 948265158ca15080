package dominion.proto.tls;

/** What writing TLS files does when a file is already there. */
public enum ExistingFiles {
  /** Fail, naming the file, and write nothing. */
  REFUSE,
  /** Replace it atomically. */
  REPLACE
}
