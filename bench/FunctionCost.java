import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.springframework.cloud.function.adapter.aws.FunctionInvoker;

/**
 * The deployed function's whole CPU per image, as Lambda runs it: FunctionInvoker built once (the init phase), then one
 * S3 event per upload handed to it in turn, each read from S3, resized, written back, recorded in DynamoDB and
 * notified on SNS (against a moto_server, whose own CPU is not counted). Prints the process CPU (every thread: JIT and
 * GC included) of the init, of the first event, and per image of each pass, with its wall time; at the end the
 * metaspace in use. With {@code primed} it first runs what SnapStart runs before it takes the snapshot (the CRaC
 * {@code beforeCheckpoint} hooks: SnapStartPriming), and prints its CPU too (with
 * {@code -Dorg.crac.Core.Compat=snapstart}, the stand-in of bench/snapstart). Any failure ends the JVM with status 1
 * (the application's non-daemon threads would keep it alive). Run by bench/function-cost.sh.
 *
 * <pre>
 * FunctionCost EVENTS_DIR FILES_PER_PASS [primed]
 * </pre>
 */
public class FunctionCost {

    public static void main(String[] args) {
        try {
            run(args);
        }
        catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static void run(String[] args) throws Exception {
        List<Path> events;
        try (Stream<Path> files = Files.list(Path.of(args[0]))) {
            events = files.sorted().toList();
        }
        int perPass = Integer.parseInt(args[1]);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        FunctionInvoker invoker = new FunctionInvoker();
        long passStart = os.getProcessCpuTime();
        long passWallStart = System.nanoTime();
        System.out.printf("init_cpu_ms=%d%n", passStart / 1_000_000);
        if (args.length > 2 && args[2].equals("primed")) {
            // the hooks SnapStart runs around its snapshot (org.crac hands them to the stand-in package)
            org.crac.Core.checkpointRestore();
            long primed = os.getProcessCpuTime();
            System.out.printf("priming_cpu_ms=%d%n", (primed - passStart) / 1_000_000);
            passStart = primed;
            passWallStart = System.nanoTime();
        }
        for (int i = 0; i < events.size(); i++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            invoker.handleRequest(new ByteArrayInputStream(Files.readAllBytes(events.get(i))), out, null);
            String result = out.toString();
            if (!result.contains("\"PROCESSED\"")) {
                throw new IllegalStateException(events.get(i) + " was not processed: " + result);
            }
            if (i == 0) {
                System.out.printf("first_image_cpu_ms=%d%n", (os.getProcessCpuTime() - passStart) / 1_000_000);
            }
            if ((i + 1) % perPass == 0) {
                long now = os.getProcessCpuTime();
                long wallNow = System.nanoTime();
                System.out.printf("pass=%d cpu_ms_per_image=%.1f wall_ms_per_image=%.1f%n", (i + 1) / perPass,
                        (now - passStart) / 1e6 / perPass, (wallNow - passWallStart) / 1e6 / perPass);
                passStart = now;
                passWallStart = wallNow;
            }
        }
        for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getName().equals("Metaspace")) {
                System.out.printf("metaspace_used_mb=%d%n", pool.getUsage().getUsed() >> 20);
            }
        }
    }
}
