package dev.flowmeter.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal HTTP/1.1 server on the loopback interface that answers every request with {@code 200 ok}
 * on a kept-alive connection. Raw sockets rather than the JDK's HttpServer, which the OpenTelemetry
 * agent instruments: only the clients' instrumentation is measured.
 */
final class LoopbackServer implements AutoCloseable {

    static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok")
            .getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket socket;

    LoopbackServer() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon(this::accept, "loopback-accept").start();
    }

    int port() {
        return socket.getLocalPort();
    }

    private void accept() {
        try {
            while (true) {
                Socket connection = socket.accept();
                connection.setTcpNoDelay(true);
                daemon(() -> serve(connection), "loopback-connection").start();
            }
        } catch (IOException closed) {
            // the server is closed
        }
    }

    /**
     * Answers each request once its header ends (an empty line); the clients send GETs without a
     * body. One thread per connection, blocking reads into one buffer: a request costs the server a
     * read and a write, and the client's thread hands over to no other of the server's threads.
     */
    private static void serve(Socket connection) {
        try (connection) {
            InputStream in = connection.getInputStream();
            OutputStream out = connection.getOutputStream();
            byte[] buffer = new byte[8192];
            RequestEnd requestEnd = new RequestEnd();
            int read;
            while ((read = in.read(buffer)) != -1) {
                for (int i = 0; i < read; i++) {
                    if (requestEnd.ends(buffer[i])) {
                        out.write(RESPONSE);
                    }
                }
            }
        } catch (IOException closed) {
            // the client went away
        }
    }

    private static Thread daemon(Runnable body, String name) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
