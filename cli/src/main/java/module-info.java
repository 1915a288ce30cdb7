/** The objstate command-line tool (also runnable as one shaded jar on the class path). */
module io.objstate.cli {
    requires io.objstate;
    requires io.objstate.nativestore;
    requires com.fasterxml.jackson.databind;
    requires info.picocli;
    requires me.tongfei.progressbar;

    // picocli fills the commands' annotated fields reflectively.
    opens io.objstate.cli to info.picocli;
}
