package io.github.lambdaimageprocessor.processing;

/** The fake the core tests use keeps the same contract as the real stores, so what those tests prove carries over. */
class InMemoryImageStoreTest extends ImageStoreContract {

    private final InMemoryImageStore store = new InMemoryImageStore();

    @Override
    protected ImageStore store() {
        return store;
    }

    @Override
    protected String bucket() {
        return "uploads";
    }
}
