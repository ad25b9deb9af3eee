package snapstart;

/** A set of hooks that is itself a hook (see {@link Core}). */
public abstract class Context<R extends Resource> implements Resource {

    public abstract void register(R resource);
}
