package dominion.proto.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MethodGlobTest {
  @ParameterizedTest(name = "{0} ~ {1} = {2}")
  @CsvSource({
    "*, Subd.Poll, true",
    "*, ImageServer.AddImage, true",
    "Subd.*, Subd.Poll, true",
    "Subd.*, Subd., true",
    "Subd.*, SubdX.Poll, false",
    "Subd.*, ImageServer.GetImage, false",
    "Subd.*, Subd, false",
    "ImageServer.AddImage, ImageServer.AddImage, true",
    "ImageServer.AddImage, ImageServer.AddImages, false",
    "ImageServer.AddImage, ImageServer.addimage, false",
    "ImageServer.AddImage, XImageServer.AddImage, false",
    "*.GetImage, ImageServer.GetImage, true",
    "*.GetImage, ImageServer.GetImages, false",
    "ImageServer.Get*, ImageServer.GetImage, true",
    "ImageServer.Get*, ImageServer.GetImageUpdates, true",
    "ImageServer.Get*, ImageServer.ListImages, false",
    "*Image*, ImageServer.ListDirectories, true",
    "*Objects, ObjectServer.GetObjects, true",
    "*Objects, ObjectServer.GetObject, false",
    "a*b*c, abc, true",
    "a*b*c, aXbYc, true",
    "a*b*c, aXbYcZ, false",
    "a*b*c, acb, false",
    "**, anything, true",
  })
  void matches(String glob, String method, boolean expected) {
    assertEquals(expected, new MethodGlob(glob).matches(method));
  }

  @Test
  void manyStarsStayFast() {
    MethodGlob g = new MethodGlob("*a*a*a*a*a*a*a*a*a*a*b");
    assertEquals(false, g.matches("a".repeat(5000)));
  }

  @ParameterizedTest
  @CsvSource({"''", "Subd.Poll?", "Subd Poll", "Subd/Poll", "Subd.[P]oll"})
  void rejectsBadPatterns(String pattern) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new MethodGlob(pattern));
    assertTrue(e.getMessage().contains("bad method glob"), e.getMessage());
  }
}
