package it.app;

import io.objstate.Id;
import io.objstate.State;
import io.objstate.StateObject;
import java.util.ArrayList;
import java.util.List;

@StateObject(pkg = "it", name = "Note")
class Note {
    @Id String id;
    @State String text;
    @State long edits;
    @State List<String> tags = new ArrayList<>();

    Note() {}
}
