package dominion.imagetool;

import dominion.core.image.Filter;
import dominion.core.image.ImageName;
import dominion.core.image.Triggers;
import dominion.proto.tls.TlsException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every imagetool command shares: the server options, output streams and argument parsing. */
abstract class ToolCommand implements Callable<Integer> {
  @ParentCommand ImagetoolMain main;

  @Spec CommandSpec spec;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  Connection connect() throws TlsException {
    return new Connection(main.server, main.tls.setup());
  }

  /** Parses an image name argument; a bad one is a usage error. */
  ImageName imageName(String what, String value) {
    try {
      return ImageName.of(value);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), what + ": " + e.getMessage());
    }
  }

  /** The filter in {@code file}, or null (a sparse image) for {@code ""}. */
  static Filter loadFilter(String file) {
    return file.isEmpty() ? null : Filter.load(Path.of(file));
  }

  /** The triggers in {@code file}, or none for {@code ""}. */
  static Triggers loadTriggers(String file) {
    return file.isEmpty() ? Triggers.NONE : Triggers.load(Path.of(file));
  }
}
