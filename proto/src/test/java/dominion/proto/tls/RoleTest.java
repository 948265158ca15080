package dominion.proto.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.proto.imageserver.ImageServerMethods;
import dominion.proto.subd.SubdMethods;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoleTest {
  private static Identity as(Role role) {
    return new Identity(role.cliName(), role.methods());
  }

  @Test
  void subdMayOnlyFetchObjects() {
    Identity subd = as(Role.SUBD);
    assertTrue(subd.permits("ObjectServer.GetObjects"));
    for (String m :
        List.of(
            "ObjectServer.AddObjects",
            "ObjectServer.CheckObjects",
            "ImageServer.GetImage",
            "Subd.Poll",
            "Dominator.ListSubs")) {
      assertFalse(subd.permits(m), m);
    }
  }

  @Test
  void dominatorDrivesSubdsAndReadsImages() {
    Identity dom = as(Role.DOMINATOR);
    for (String m :
        List.of(
            "Subd.Poll",
            "Subd.Fetch",
            "Subd.Update",
            "Subd.Cleanup",
            "Subd.GetFiles",
            "Subd.GetConfiguration",
            "Subd.SetConfiguration",
            "ImageServer.GetImage",
            "ImageServer.ListImages",
            "ImageServer.CheckImage",
            "ImageServer.ListDirectories",
            "ImageServer.GetImageUpdates",
            "ObjectServer.CheckObjects")) {
      assertTrue(dom.permits(m), m);
    }
    for (String m :
        List.of(
            "ImageServer.AddImage",
            "ImageServer.DeleteImage",
            "ObjectServer.AddObjects",
            "ObjectServer.GetObjects",
            "Dominator.DisableUpdates")) {
      assertFalse(dom.permits(m), m);
    }
  }

  @Test
  void imageserverReplicaMayOnlyRead() {
    Identity replica = as(Role.IMAGESERVER);
    for (String m :
        List.of(
            "ImageServer.GetImageUpdates",
            "ImageServer.GetImage",
            "ObjectServer.GetObjects",
            "ImageServer.ListDirectories")) {
      assertTrue(replica.permits(m), m);
    }
    for (String m :
        List.of(
            "ImageServer.AddImage",
            "ImageServer.DeleteImage",
            "ImageServer.MakeDirectory",
            "ImageServer.ChangeImageExpiration",
            "ObjectServer.AddObjects",
            "Subd.Update")) {
      assertFalse(replica.permits(m), m);
    }
  }

  /**
   * What each program calls in the real code (RpcSubApi and ImageCache in the dominator, subd's
   * RpcObjectSource, imagetool's add), which its role must permit: a certificate that lacks one
   * would stop the fleet. fleettest runs a whole fleet on these certificates.
   */
  @Test
  void eachRoleCoversWhatItsProgramCalls() {
    Map<Role, List<String>> calls =
        Map.of(
            Role.DOMINATOR,
            List.of(
                SubdMethods.POLL,
                SubdMethods.FETCH,
                SubdMethods.UPDATE,
                SubdMethods.CLEANUP,
                ImageServerMethods.GET_IMAGE),
            Role.SUBD,
            List.of(ImageServerMethods.GET_OBJECTS),
            Role.IMAGE_BUILDER,
            List.of(
                ImageServerMethods.CHECK_IMAGE,
                ImageServerMethods.CHECK_OBJECTS,
                ImageServerMethods.ADD_OBJECTS,
                ImageServerMethods.ADD_IMAGE));
    calls.forEach(
        (role, methods) -> {
          for (String m : methods) {
            assertTrue(as(role).permits(m), role.cliName() + " must permit " + m);
          }
        });
  }

  @Test
  void mdbdMayCallNothing() {
    assertEquals(List.of(), Role.MDBD.methods());
    assertFalse(as(Role.MDBD).permits("Dominator.ListSubs"));
  }

  @Test
  void imageBuilderMayAddButNotDelete() {
    Identity builder = as(Role.IMAGE_BUILDER);
    for (String m :
        List.of(
            "ImageServer.AddImage",
            "ObjectServer.AddObjects",
            "ObjectServer.CheckObjects",
            "ImageServer.CheckImage",
            "ImageServer.GetImage")) {
      assertTrue(builder.permits(m), m);
    }
    for (String m :
        List.of(
            "ImageServer.DeleteImage",
            "ImageServer.ChangeImageExpiration",
            "Subd.Update",
            "Dominator.DisableUpdates")) {
      assertFalse(builder.permits(m), m);
    }
  }

  @Test
  void adminMayDoAnything() {
    Identity admin = as(Role.ADMIN);
    assertTrue(admin.permits("ImageServer.DeleteImage"));
    assertTrue(admin.permits("Subd.Update"));
    assertTrue(admin.permits("Dominator.ClearSafetyShutoff"));
  }

  @Test
  void rolesAreFoundByCliName() {
    assertEquals(Role.IMAGE_BUILDER, Role.fromCliName("image-builder"));
    assertEquals(Role.SUBD, Role.fromCliName("subd"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Role.fromCliName("root"));
    assertTrue(e.getMessage().contains("\"root\""), e.getMessage());
    assertTrue(e.getMessage().contains("image-builder"), e.getMessage());
  }
}
