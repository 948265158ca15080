package dominion.proto.subd;

/**
 * The names of subd's RPCs, as certificates grant them ({@code Subd.*}) and as they appear in URLs
 * ({@code POST /rpc/<name>}).
 */
public final class SubdMethods {
  /** Download: {@link PollRequest} in, the layout of {@link PollFraming} out. */
  public static final String POLL = "Subd.Poll";

  public static final String FETCH = "Subd.Fetch";
  public static final String UPDATE = "Subd.Update";
  public static final String CLEANUP = "Subd.Cleanup";

  /** Download: {@link GetFilesRequest} in, length-prefixed file contents out. */
  public static final String GET_FILES = "Subd.GetFiles";

  public static final String GET_CONFIGURATION = "Subd.GetConfiguration";
  public static final String SET_CONFIGURATION = "Subd.SetConfiguration";

  /** Content type of {@link #POLL}'s response. */
  public static final String POLL_CONTENT_TYPE = "application/x-dominion-poll";

  /** Content type of {@link #GET_FILES}'s response. */
  public static final String FILES_CONTENT_TYPE = "application/x-dominion-files";

  /** subd's standard port. */
  public static final int DEFAULT_PORT = 6969;

  private SubdMethods() {}
}
