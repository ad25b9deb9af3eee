package snapstart;

import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in for the CRaC package of Lambda's runtime client, for bench/FunctionCost.java: started with
 * {@code -Dorg.crac.Core.Compat=snapstart}, org.crac registers the application's hooks (SnapStartPriming) here instead
 * of dropping them, and {@link #checkpointRestore} runs them as SnapStart does around its snapshot. The runtime
 * client's own package cannot be used outside Lambda: its checkpoint first calls a native library the client loads.
 */
public final class Core {

    private static final List<Resource> RESOURCES = new ArrayList<>();

    private static final Context<Resource> GLOBAL = new Context<>() {

        @Override
        public void register(Resource resource) {
            RESOURCES.add(resource);
        }

        @Override
        public void beforeCheckpoint(Context<? extends Resource> context) throws Exception {
            // like the JDK's CRaC: the hooks registered last run first before the checkpoint
            for (int i = RESOURCES.size() - 1; i >= 0; i--) {
                RESOURCES.get(i).beforeCheckpoint(this);
            }
        }

        @Override
        public void afterRestore(Context<? extends Resource> context) throws Exception {
            for (Resource resource : RESOURCES) {
                resource.afterRestore(this);
            }
        }
    };

    private Core() {
    }

    public static Context<Resource> getGlobalContext() {
        return GLOBAL;
    }

    /** The hooks around a snapshot, without one: there is nothing to save or restore here. */
    public static void checkpointRestore() throws CheckpointException, RestoreException {
        try {
            GLOBAL.beforeCheckpoint(null);
            GLOBAL.afterRestore(null);
        }
        catch (Exception e) {
            throw new IllegalStateException("a checkpoint hook failed", e);
        }
    }
}
