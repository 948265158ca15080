package dominion.proto.subd;

/**
 * A file already on the sub whose content an update needs as a cache object: the sub copies it into
 * its cache first, verifying the hash.
 *
 * @param path absolute tree path of the file on the sub
 * @param hash the SHA-512 in hex the file must have
 */
public record CopyToCache(String path, String hash) {}
