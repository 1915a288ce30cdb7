/** A user's module: it opens its state classes' package to objstate and nothing more. */
module it.app {
    requires io.objstate;
    opens it.app to io.objstate;
}
