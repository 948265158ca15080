package dominion.subd.rpc;

import dominion.proto.rpc.CallContext;
import dominion.proto.rpc.Handlers;
import dominion.proto.subd.FetchRequest;
import dominion.proto.subd.FetchResponse;
import dominion.subd.fetch.Fetcher;

/** Subd.Fetch: starts a background fetch. */
public final class FetchHandler implements Handlers.Unary<FetchRequest, FetchResponse> {
  private final Fetcher fetcher;

  public FetchHandler(Fetcher fetcher) {
    this.fetcher = fetcher;
  }

  @Override
  public FetchResponse handle(FetchRequest request, CallContext call) {
    fetcher.start(request);
    return new FetchResponse();
  }
}
