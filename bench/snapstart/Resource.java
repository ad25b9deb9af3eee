package snapstart;

/** A checkpoint hook, as org.crac's compatibility layer expects to find it in a CRaC package (see {@link Core}). */
public interface Resource {

    void beforeCheckpoint(Context<? extends Resource> context) throws Exception;

    void afterRestore(Context<? extends Resource> context) throws Exception;
}
