package dominion.subd.rpc;

import dominion.proto.rpc.CallContext;
import dominion.proto.rpc.Handlers;
import dominion.proto.subd.GetConfigurationRequest;
import dominion.proto.subd.SubdConfig;
import dominion.subd.Settings;

/** Subd.GetConfiguration: the limits and exclusions in force. */
public final class GetConfigurationHandler
    implements Handlers.Unary<GetConfigurationRequest, SubdConfig> {
  private final Settings settings;

  public GetConfigurationHandler(Settings settings) {
    this.settings = settings;
  }

  @Override
  public SubdConfig handle(GetConfigurationRequest request, CallContext call) {
    return settings.config();
  }
}
