package io.github.lambdaimageprocessor.aws;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3 endpoint on the loopback interface that answers every request as the test says, for the answers moto cannot
 * give (a body that breaks off, a redirect to another region, a disabled KMS key), with an S3 client pointed at it.
 * Each connection serves one request: its request line and headers are read (not its body), the answer written, the
 * connection closed.
 */
final class StubS3 implements AutoCloseable {

    /** Writes the answer to one request, given its request line ({@code GET /bucket/key HTTP/1.1}). */
    @FunctionalInterface
    interface Answer {
        void write(String requestLine, OutputStream out) throws IOException;
    }

    private final ServerSocket server;

    private final Thread thread;

    private final S3Client client;

    StubS3(Answer answer) throws IOException {
        server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        thread = Thread.ofVirtual().start(() -> serve(answer));
        client = S3Client.builder()
            .endpointOverride(URI.create("http://127.0.0.1:" + server.getLocalPort()))
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .forcePathStyle(true)
            .build();
    }

    S3Client client() {
        return client;
    }

    private void serve(Answer answer) {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                BufferedReader request = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.ISO_8859_1));
                String requestLine = request.readLine();
                for (String header = request.readLine(); header != null && !header.isEmpty();) {
                    header = request.readLine();
                }
                if (requestLine != null) {
                    OutputStream out = socket.getOutputStream();
                    answer.write(requestLine, out);
                    out.flush();
                }
            }
            catch (IOException closed) {
                // the test is over, or the client hung up first
            }
        }
    }

    @Override
    public void close() throws InterruptedException, IOException {
        client.close();
        server.close();
        thread.join();
    }
}
