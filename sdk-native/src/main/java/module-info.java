/**
 * The native store engine (libostore, packaged in this jar) and its FFM wrapper. Internal to objstate:
 * exported only to the SDK and the CLI; the jextract bindings ({@code io.objstate.nativestore.ffi}) are
 * not exported at all. FFM downcalls need native access: {@code --enable-native-access=io.objstate.nativestore}
 * on the module path ({@code Enable-Native-Access: ALL-UNNAMED} in the manifest covers {@code java -jar}).
 */
@SuppressWarnings("module") // the modules exported to are built after this one
module io.objstate.nativestore {
    exports io.objstate.nativestore to io.objstate, io.objstate.cli, io.objstate.cluster;
}
