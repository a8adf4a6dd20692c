package lab.notebook;

import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import lab.Render;

/**
 * What a notebook cell sees of the kernel during a replay: the replay's stand-in for IJava's runtime classes
 * ({@code io.github.spencerpark.ijava.runtime.Display} and {@code Magics}), with their signatures and their rendering
 * rules, so that a cell written for IJava compiles and shows the same outputs here. The replay's start-up script
 * imports these statics the way IJava's {@code ijava-jshell-init.jshell} imports its own.
 */
public final class NotebookKernel {
    private static volatile NotebookShell current;

    private NotebookKernel() {}

    /** The shell whose cells are running, set by {@link NotebookShell} for the duration of one notebook. */
    static void attach(NotebookShell shell) {
        current = shell;
    }

    static void detach(NotebookShell shell) {
        if (current == shell) current = null;
    }

    private static NotebookShell shell() {
        NotebookShell shell = current;
        if (shell == null) throw new RuntimeException("No notebook replay running"); // IJava: "No IJava kernel running"
        return shell;
    }

    public static Data render(Object o) {
        return Data.of(o);
    }

    public static Data render(Object o, String... as) {
        return Data.as(o, as);
    }

    /** Publishes a display_data output and returns its display id, as IJava does. */
    public static String display(Object o) {
        return shell().outputs().display(Data.of(o));
    }

    public static String display(Object o, String... as) {
        return shell().outputs().display(Data.as(o, as));
    }

    public static void updateDisplay(String id, Object o) {
        shell().outputs().updateDisplay(id, Data.of(o));
    }

    public static void updateDisplay(String id, Object o, String... as) {
        shell().outputs().updateDisplay(id, Data.as(o, as));
    }

    /** A line magic, called from the code the magic line was turned into (see {@link NotebookMagics#transform}). */
    @SuppressWarnings("unchecked")
    public static <T> T lineMagic(String name, List<String> args) {
        try {
            return (T) shell().magics().applyLineMagic(name, args);
        } catch (NotebookMagics.UndefinedMagic e) {
            throw e;
        } catch (Exception e) {
            throw new RuntimeException(String.format("Exception occurred while running line magic '%s': %s", name, e.getMessage()), e);
        }
    }

    @SuppressWarnings("unchecked")
    public static <T> T cellMagic(String name, List<String> args, String body) {
        try {
            return (T) shell().magics().applyCellMagic(name, args, body);
        } catch (NotebookMagics.UndefinedMagic e) {
            throw e;
        } catch (Exception e) {
            throw new RuntimeException(String.format("Exception occurred while running cell magic '%s': %s", name, e.getMessage()), e);
        }
    }

    /**
     * A MIME bundle, like IJava's {@code DisplayData}: what {@code render} returns, what {@code display} publishes, and
     * what a cell's last expression becomes. Built by the base kernel's rules: text/plain is always present
     * ({@code String.valueOf}); a CharSequence may also be any of the text types requested; an image is image/png.
     */
    public static final class Data {
        private static final Set<String> TEXT_TYPES = Set.of("text/plain", "application/javascript", "text/markdown",
                "text/latex", "text/html", "text/css", "image/svg+xml", "application/json");
        private static final Set<String> IMAGE_TYPES = Set.of("image/png", "image/jpeg", "image/gif");

        private final Map<String, String> data = new LinkedHashMap<>();

        private Data() {}

        /**
         * {@code render(o)}: the value's preferred type (text/plain for text, image/png for an image) plus text/plain.
         * A Data itself is not unwrapped (IJava neither): {@code display(render(x))} shows only its description.
         */
        static Data of(Object value) {
            Data out = new Data();
            if (out.putShown(value)) return out;
            if (value instanceof RenderedImage image) out.putImage(image, Set.of("image/png"));
            return out.withPlainText(value);
        }

        /** {@code render(o, types...)}: every requested type the value supports, plus text/plain. */
        static Data as(Object value, String... types) {
            Set<String> requested = new LinkedHashSet<>();
            requested.add("text/plain");
            Collections.addAll(requested, types);
            Data out = new Data();
            if (out.putShown(value)) return out; // it supports any type, so the kernels let it render itself
            if (value instanceof CharSequence text) {
                for (String type : TEXT_TYPES) if (isRequested(type, requested)) out.data.put(type, text.toString());
            } else if (value instanceof RenderedImage image) {
                out.putImage(image, requested);
            }
            return out.withPlainText(value);
        }

        /** The base kernel's request matching: the exact type, its group ({@code image/*}) or anything ({@code *}). */
        private static boolean isRequested(String type, Set<String> requested) {
            return requested.contains(type) || requested.contains(type.substring(0, type.indexOf('/')) + "/*")
                    || requested.contains("*") || requested.contains("*/*");
        }

        /**
         * A table as {@link Render#table} shows it: text/html and the aligned text as text/plain, what the kernels get
         * from its {@code DisplayDataRenderable}. Found by the interface's name, since a cell's lab classes may come
         * from the notebook's own class loader.
         */
        private boolean putShown(Object value) {
            for (Class<?> type : value == null ? new Class<?>[0] : value.getClass().getInterfaces()) {
                if (!type.getName().equals(Render.Shown.class.getName())) continue;
                try {
                    data.put("text/html", (String) type.getMethod("html").invoke(value));
                    data.put("text/plain", (String) type.getMethod("text").invoke(value));
                    return true;
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("a table view that does not render: " + e, e);
                }
            }
            return false;
        }

        private Data withPlainText(Object value) {
            if (!data.containsKey("text/plain")) {
                String plain = String.valueOf(value);
                // An image's toString carries its identity hash ("BufferedImage@1b2c3d4e: type = ..."), which would
                // change the committed notebooks on every run; the rest of the description is kept.
                if (value instanceof RenderedImage) plain = plain.replaceFirst("@[0-9a-f]+", "");
                data.put("text/plain", plain);
            }
            return this;
        }

        private void putImage(RenderedImage image, Set<String> requested) {
            for (String type : IMAGE_TYPES) {
                if (isRequested(type, requested)) data.put(type, base64(image, type.substring("image/".length())));
            }
        }

        private static String base64(RenderedImage image, String format) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try {
                ImageIO.write(image, format, bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Base64.getEncoder().encodeToString(bytes.toByteArray());
        }

        /** The bundle by MIME type, in the order the types were rendered. */
        public Map<String, String> data() {
            return Collections.unmodifiableMap(data);
        }

        @Override
        public String toString() {
            return "Data" + data.keySet();
        }
    }
}
