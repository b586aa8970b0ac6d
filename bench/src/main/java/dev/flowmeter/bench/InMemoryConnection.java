package dev.flowmeter.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import javax.net.SocketFactory;

/**
 * A connection to a server that lives in the socket itself: it answers {@link LoopbackServer}'s
 * answer to every request once the request's header has been written, with no kernel and no other
 * thread in between. An OkHttp client built with its {@link #FACTORY} runs all of its own code
 * (interceptors, connection pool, HTTP/1.1 codec) on the calling thread, so that what an agent adds
 * to a call is resolved to a few nanoseconds rather than hidden in the loopback's scheduling noise.
 */
final class InMemoryConnection extends Socket {

    /** Creates unconnected sockets, as OkHttp asks for them; the other methods are never called. */
    static final SocketFactory FACTORY = new SocketFactory() {
        @Override
        public Socket createSocket() {
            return new InMemoryConnection();
        }

        // SocketFactory's four abstract overloads, each refused alike on purpose: OkHttp calls only createSocket().
        @Override
        public Socket createSocket(String host, int port) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress local, int localPort) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Socket createSocket(InetAddress host, int port) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort) {
            throw new UnsupportedOperationException();
        }
    };

    private final RequestEnd requestEnd = new RequestEnd();
    private InetSocketAddress remote;
    private boolean closed;
    private int timeout;
    /** How much of the answer has been read; all of it when no request waits for one. */
    private int answered = LoopbackServer.RESPONSE.length;

    private final InputStream in = new InputStream() {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            if (answered == LoopbackServer.RESPONSE.length) {
                throw new IOException("read with no request waiting for an answer");
            }
            int count = Math.min(length, LoopbackServer.RESPONSE.length - answered);
            System.arraycopy(LoopbackServer.RESPONSE, answered, into, offset, count);
            answered += count;
            return count;
        }

        @Override
        public int available() {
            return LoopbackServer.RESPONSE.length - answered;
        }
    };

    private final OutputStream out = new OutputStream() {
        @Override
        public void write(int b) {
            if (requestEnd.ends((byte) b)) {
                answered = 0;
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                write(bytes[i]);
            }
        }
    };

    @Override
    public void connect(SocketAddress endpoint, int timeout) {
        remote = (InetSocketAddress) endpoint;
    }

    @Override
    public void connect(SocketAddress endpoint) {
        connect(endpoint, 0);
    }

    @Override
    public boolean isConnected() {
        return remote != null;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    @Override
    public InetAddress getInetAddress() {
        return remote == null ? null : remote.getAddress();
    }

    @Override
    public int getPort() {
        return remote == null ? 0 : remote.getPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return remote;
    }

    @Override
    public InputStream getInputStream() {
        return in;
    }

    @Override
    public OutputStream getOutputStream() {
        return out;
    }

    @Override
    public synchronized void setSoTimeout(int timeout) {
        this.timeout = timeout;
    }

    @Override
    public synchronized int getSoTimeout() {
        return timeout;
    }

    @Override
    public void setTcpNoDelay(boolean on) {
        // nothing is buffered between the client and the answer
    }

    @Override
    public void shutdownInput() {
        // a read after this is the client's mistake, as on a socket
    }

    @Override
    public void shutdownOutput() {
        // likewise
    }
}
