package it.app;

import io.objstate.ObjectRuntime;
import io.objstate.ObjectSet;
import io.objstate.VerifyResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code write DIR}: stores 100 notes, each edited once more, and reads them back after a reopen.
 * {@code check BACKUP DUMP STAT OTHER}: the CLI's backup opens with every note, its dump and stat show them,
 * and the store written on the module path holds the same notes. Exits 1 with a message on any mismatch.
 */
public final class Main {
    static final int NOTES = 100;

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "write" -> write(Path.of(args[1]));
            case "check" -> {
                expectNotes(Path.of(args[1]), "the backup");
                expectNotes(Path.of(args[4]), "the module-path store");
                // exec's output file holds stderr too ("dumped 100 objects"): the JSON lines are the data
                List<String> dump = Files.readAllLines(Path.of(args[2])).stream().filter(l -> l.startsWith("{")).toList();
                require(dump.size() == NOTES, "objstate dump printed " + dump.size() + " lines, expected " + NOTES);
                require(dump.get(7).contains("\"class\":\"it.Note\"") && dump.get(7).contains("\"text\":\"note 7\""),
                        "unexpected dump line: " + dump.get(7));
                String stat = Files.readString(Path.of(args[3]));
                require(stat.contains("\"objects\":" + NOTES), "objstate stat --json: " + stat);
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.out.println("it.app " + args[0] + " ok (" + (Main.class.getModule().isNamed() ? "module path" : "class path") + ")");
    }

    static void write(Path dir) {
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            ObjectSet<Note> notes = rt.objects(Note.class);
            for (int i = 0; i < NOTES; i++) {
                Note n = notes.create(String.format("n%03d", i));
                n.text = "note " + i;
                n.tags.add("t" + i % 3);
                rt.commit(n);
            }
            for (int i = 0; i < NOTES; i++) {
                notes.modify(String.format("n%03d", i), n -> n.edits++);
            }
        }
        expectNotes(dir, "the store");
    }

    static void expectNotes(Path dir, String what) {
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            VerifyResult v = rt.verify();
            require(v.intact(), what + " failed verification: " + v.firstProblem());
            ObjectSet<Note> notes = rt.objects(Note.class);
            require(notes.ids().size() == NOTES, what + " holds " + notes.ids().size() + " notes");
            for (int i = 0; i < NOTES; i++) {
                Note n = notes.get(String.format("n%03d", i));
                require(n.text.equals("note " + i) && n.edits == 1 && n.tags.equals(List.of("t" + i % 3)),
                        what + ": note " + i + " is " + n.text + "/" + n.edits + "/" + n.tags);
            }
        }
    }

    static void require(boolean ok, String message) {
        if (!ok) {
            System.err.println("it.app: " + message);
            System.exit(1);
        }
    }
}
