package dominion.subd.rpc;

import dominion.proto.rpc.CallContext;
import dominion.proto.rpc.Handlers;
import dominion.proto.subd.SetConfigurationRequest;
import dominion.proto.subd.SetConfigurationResponse;
import dominion.proto.subd.SubdConfig;
import dominion.subd.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Subd.SetConfiguration: changes limits and exclusions (zero or null = unchanged). */
public final class SetConfigurationHandler
    implements Handlers.Unary<SetConfigurationRequest, SetConfigurationResponse> {
  private static final Logger log = LoggerFactory.getLogger(SetConfigurationHandler.class);

  private final Settings settings;

  public SetConfigurationHandler(Settings settings) {
    this.settings = settings;
  }

  @Override
  public SetConfigurationResponse handle(SetConfigurationRequest request, CallContext call) {
    if (request.config() == null) {
      throw new IllegalArgumentException("bad SetConfiguration: config is missing");
    }
    SubdConfig now = settings.update(request.config());
    log.info(
        "configuration set by {}: scan {}%, cpu {}%, network {}%, {} exclusions",
        call.who(),
        now.scanSpeedPercent(),
        now.cpuPercent(),
        now.networkSpeedPercent(),
        now.scanExclusions().size());
    return new SetConfigurationResponse();
  }
}
