package dominion.core.objectstore;

import dominion.core.hash.Hash;
import dominion.core.hash.HashingInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** An object store in memory: for tests and small tools. Thread-safe. */
public final class MemoryObjectStore implements ObjectStore {
  private final Map<Hash, byte[]> objects = new ConcurrentHashMap<>();

  @Override
  public boolean has(Hash hash) {
    return objects.containsKey(hash);
  }

  @Override
  public InputStream get(Hash hash) throws IOException {
    byte[] data = objects.get(hash);
    if (data == null) {
      throw new MissingObjectException(hash);
    }
    return new ByteArrayInputStream(data);
  }

  @Override
  public long size(Hash hash) throws IOException {
    byte[] data = objects.get(hash);
    if (data == null) {
      throw new MissingObjectException(hash);
    }
    return data.length;
  }

  @Override
  public AddResult add(InputStream data, Hash expected) throws IOException {
    HashingInputStream in = new HashingInputStream(data);
    byte[] bytes = in.readAllBytes();
    Hash actual = in.hash();
    if (expected != null && !expected.equals(actual)) {
      throw new HashMismatchException(expected, actual);
    }
    return new AddResult(actual, bytes.length, objects.putIfAbsent(actual, bytes) == null);
  }

  /** Stores {@code data} and returns its hash. */
  public Hash put(byte[] data) {
    Hash hash = Hash.of(data);
    objects.putIfAbsent(hash, data.clone());
    return hash;
  }

  @Override
  public void forEach(Consumer<Hash> action) {
    objects.keySet().forEach(action);
  }

  @Override
  public boolean delete(Hash hash) {
    return objects.remove(hash) != null;
  }

  @Override
  public long count() {
    return objects.size();
  }

  @Override
  public long totalBytes() {
    return objects.values().stream().mapToLong(b -> b.length).sum();
  }
}
