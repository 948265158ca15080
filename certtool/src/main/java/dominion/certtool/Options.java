package dominion.certtool;

import dominion.proto.tls.HostNames;
import dominion.proto.tls.MethodGlob;
import dominion.proto.tls.Role;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/** Checks and converters shared by certtool's commands; bad values are usage errors (exit 2). */
final class Options {
  private Options() {}

  static void requirePositive(CommandSpec spec, String option, int value) {
    if (value <= 0) {
      throw new ParameterException(
          spec.commandLine(), "bad " + option + " " + value + ": give a number of days above 0");
    }
  }

  /** {@code --methods}: one glob. */
  static final class GlobConverter implements ITypeConverter<MethodGlob> {
    @Override
    public MethodGlob convert(String value) {
      try {
        return new MethodGlob(value.strip());
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code --role}: a role's command-line name. */
  static final class RoleConverter implements ITypeConverter<Role> {
    @Override
    public Role convert(String value) {
      try {
        return Role.fromCliName(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code --host}: a DNS name or an IP address. */
  static final class HostConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      try {
        HostNames.validate(value);
        return value;
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
