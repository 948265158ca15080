package dominion.mdb.tool;

import dominion.mdb.HostGlob;
import dominion.mdb.Machine;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code set-required} and {@code set-planned}: assign an image to the machines a glob matches. */
abstract class SetImageCommand implements Callable<Integer> {
  @ParentCommand MdbtoolMain main;
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "HOSTGLOB",
      description = "Hostname or shell pattern (web*, db[12]); quote it.")
  String glob;

  @Parameters(index = "1", paramLabel = "IMG", description = "Image name.")
  String image;

  abstract String field();

  abstract BiFunction<Machine, String, Machine> setter();

  @Override
  public Integer call() throws Exception {
    HostGlob hosts;
    String name;
    try {
      hosts = HostGlob.of(glob);
      name = Arguments.imageName(image);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    List<String> changed =
        Edits.apply(main, hosts, "set " + field() + " of", m -> setter().apply(m, name));
    spec.commandLine()
        .getOut()
        .printf(
            Locale.ROOT,
            "set %s to %s on %d machine(s): %s%n",
            field(),
            name,
            changed.size(),
            String.join(" ", changed));
    return 0;
  }

  @Command(
      name = "set-required",
      mixinStandardHelpOptions = true,
      description = "Set the RequiredImage of the matching machines: the dominator moves them.")
  static final class SetRequired extends SetImageCommand {
    @Override
    String field() {
      return "RequiredImage";
    }

    @Override
    BiFunction<Machine, String, Machine> setter() {
      return Machine::withRequiredImage;
    }
  }

  @Command(
      name = "set-planned",
      mixinStandardHelpOptions = true,
      description = "Set the PlannedImage of the matching machines: pre-fetched into their caches.")
  static final class SetPlanned extends SetImageCommand {
    @Override
    String field() {
      return "PlannedImage";
    }

    @Override
    BiFunction<Machine, String, Machine> setter() {
      return Machine::withPlannedImage;
    }
  }
}
