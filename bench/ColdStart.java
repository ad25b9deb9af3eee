import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.cloud.function.adapter.aws.FunctionInvoker;

/**
 * One Lambda cold start, as the runtime does it: construct FunctionInvoker (Lambda's init phase builds the Spring
 * context), then hand it one event. Prints milliseconds from JVM start to the end of init and to the first result.
 * Run by bench/cold-start.sh.
 */
public class ColdStart {

    public static void main(String[] args) throws Exception {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        byte[] event = Files.readAllBytes(Path.of(args[0]));
        FunctionInvoker invoker = new FunctionInvoker();
        long initDone = System.currentTimeMillis();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        invoker.handleRequest(new ByteArrayInputStream(event), out, null);
        long firstResult = System.currentTimeMillis();
        String result = out.toString();
        if (!result.contains("\"PROCESSED\"")) {
            throw new IllegalStateException("the event was not processed: " + result);
        }
        System.out.println("init_ms=" + (initDone - jvmStart) + " first_result_ms=" + (firstResult - jvmStart));
        System.exit(0);
    }
}
