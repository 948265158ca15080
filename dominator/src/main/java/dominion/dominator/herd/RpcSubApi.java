package dominion.dominator.herd;

import dominion.proto.rpc.ErrorCode;
import dominion.proto.rpc.RpcClient;
import dominion.proto.rpc.RpcException;
import dominion.proto.subd.CleanupRequest;
import dominion.proto.subd.FetchRequest;
import dominion.proto.subd.PollResult;
import dominion.proto.subd.SubdClient;
import dominion.proto.subd.UpdateRequest;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * {@link SubApi} over the real transport: a {@link SubdClient} on the shared HTTP client. A poll
 * streams its answer, which the client does not time out, so a watchdog interrupts a poll that runs
 * longer than {@code pollTimeout}: a subd that accepts and then hangs must not hold a poll slot
 * forever.
 */
public final class RpcSubApi implements SubApi {
  private final SubdClient client;
  private final ScheduledExecutorService watchdog;
  private final Duration pollTimeout;

  RpcSubApi(SubdClient client, ScheduledExecutorService watchdog, Duration pollTimeout) {
    this.client = client;
    this.watchdog = watchdog;
    this.pollTimeout = pollTimeout;
  }

  /**
   * A factory of subd clients sharing {@code http} (its pool and TLS context).
   *
   * @param callTimeout the limit on unary calls
   * @param pollTimeout the limit on a whole poll, tree included
   */
  public static Factory factory(
      HttpClient http,
      boolean tls,
      Duration callTimeout,
      Duration pollTimeout,
      ScheduledExecutorService watchdog) {
    return (host, port) ->
        new RpcSubApi(
            new SubdClient(new RpcClient(http, tls, host, port, callTimeout)),
            watchdog,
            pollTimeout);
  }

  /**
   * The poll watchdog's executor: one daemon thread, and alarms removed from its queue when
   * cancelled (a poll normally ends long before its alarm, and ten thousand subs polling every few
   * seconds would otherwise fill the queue with dead alarms for the whole timeout).
   */
  public static ScheduledThreadPoolExecutor newWatchdog() {
    ScheduledThreadPoolExecutor e =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "poll-watchdog");
              t.setDaemon(true);
              return t;
            });
    e.setRemoveOnCancelPolicy(true);
    return e;
  }

  @Override
  public PollResult poll(long haveGeneration, boolean shortOnly) {
    Thread caller = Thread.currentThread();
    ScheduledFuture<?> alarm =
        watchdog.schedule(caller::interrupt, pollTimeout.toMillis(), TimeUnit.MILLISECONDS);
    try {
      return client.poll(haveGeneration, shortOnly);
    } catch (RpcException e) {
      if (alarm.isDone()) {
        throw new RpcException(
            ErrorCode.UNAVAILABLE,
            "poll of " + client.target() + " timed out after " + pollTimeout.toSeconds() + " s",
            e);
      }
      throw e;
    } finally {
      // If the alarm already went off, its interrupt must not leak into the sub's next sleep; an
      // interrupt from anyone else (the herd stopping) is left alone.
      if (!alarm.cancel(false)) {
        Thread.interrupted();
      }
    }
  }

  @Override
  public void fetch(FetchRequest request) {
    client.fetch(request);
  }

  @Override
  public void update(UpdateRequest request) {
    client.update(request);
  }

  @Override
  public void cleanup(List<String> hashes) {
    client.cleanup(new CleanupRequest(hashes));
  }
}
