package dominion.proto.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;

/**
 * Gathers a TLS server connection's incoming bytes in heap buffers, for the JDK's SSLEngine behind
 * Netty's {@link SslHandler}. Netty reads a socket into direct buffers and hands the engine its
 * gathered bytes as they are; the engine decrypts each record in place, in whatever buffer it is
 * given. The JDK's client sockets (subd's fetches use one) decrypt in heap buffers. In a JVM that
 * does both, the JIT compiled the record decryption for one kind of buffer, then dropped it and
 * compiled it again when the other came (0.25 s of compiler time in a new subd's first real fetch,
 * in one recorded run, on the two cores the fetch needs). With this, every record is decrypted in a
 * heap buffer, at the price of a copy of what the server reads and a buffer for each read: small
 * for subd's requests, but 10% more of the imageserver's CPU for an upload of 128 MiB (seven runs
 * each), so a server asks for it ({@link RpcServer#decryptInHeapBuffers}).
 */
final class HeapCumulator implements ByteToMessageDecoder.Cumulator {
  static final HeapCumulator INSTANCE = new HeapCumulator();

  private HeapCumulator() {}

  /** Returns {@code handler}, gathering its input in heap buffers. */
  static SslHandler install(SslHandler handler) {
    handler.setCumulator(INSTANCE);
    return handler;
  }

  @Override
  public ByteBuf cumulate(ByteBufAllocator alloc, ByteBuf cumulation, ByteBuf in) {
    try {
      int required = in.readableBytes();
      if (cumulation.hasArray()
          && cumulation.refCnt() == 1
          && !cumulation.isReadOnly()
          && required <= cumulation.maxFastWritableBytes()) {
        cumulation.writeBytes(in);
        return cumulation;
      }
      // Room for what the handler has not consumed yet and the new bytes; the handler consumes
      // whole records, so this stays about one record.
      ByteBuf heap = alloc.heapBuffer(cumulation.readableBytes() + required);
      heap.writeBytes(cumulation);
      heap.writeBytes(in);
      cumulation.release();
      return heap;
    } finally {
      in.release();
    }
  }
}
