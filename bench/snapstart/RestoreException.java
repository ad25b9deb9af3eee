package snapstart;

/** Part of the CRaC package shape org.crac looks for (see {@link Core}). */
public class RestoreException extends Exception {
}
