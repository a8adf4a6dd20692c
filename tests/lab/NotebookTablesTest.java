package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import org.junit.jupiter.api.Test;

/**
 * Render.table under each kernel's own Renderer, the code IJava 1.3 (jupyter-jvm-basekernel 2.3.0) and JJava run for
 * {@code display(x)}, {@code display(x, "text/html")} and a cell's last expression: the bundle holds the HTML and, as
 * text/plain, the aligned text table. The replay's side is NotebookReplayTest's tables.ipynb.
 */
class NotebookTablesTest {
    private static final Table TABLE = Table.create("numbers", IntColumn.create("n", 1, 2, 3), StringColumn.create("word", "one", "two", "three"));

    @Test
    void ijavasRendererShowsTheHtmlAndTheAlignedText() {
        var renderer = new io.github.spencerpark.jupyter.kernel.display.Renderer();
        io.github.spencerpark.jupyter.kernel.display.common.Text.registerAll(renderer);
        Object shown = Render.table(TABLE); // the test classpath has IJava's base kernel first, as IJava's kernel has
        assertTrue(shown instanceof io.github.spencerpark.jupyter.kernel.display.DisplayDataRenderable, shown.getClass().toString());
        var html = io.github.spencerpark.jupyter.kernel.display.mime.MIMEType.TEXT_HTML;
        var plain = io.github.spencerpark.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN;
        for (var data : java.util.List.of(renderer.render(shown), renderer.renderAs(shown, "text/html"))) {
            assertEquals(Render.html(TABLE), data.getData(html));
            assertEquals(Render.text(TABLE), data.getData(plain));
        }
        // What the lessons did before: the markup is the text/plain too.
        assertEquals(Render.html(TABLE), renderer.renderAs(Render.html(TABLE), "text/html").getData(plain));
    }

    @Test
    void jjavasRendererShowsTheHtmlAndTheAlignedText() {
        var renderer = new org.dflib.jjava.jupyter.kernel.display.Renderer();
        org.dflib.jjava.jupyter.kernel.display.common.Text.registerAll(renderer);
        Object shown = Render.table(TABLE, org.dflib.jjava.jupyter.kernel.display.DisplayDataRenderable.class);
        var html = org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_HTML;
        var plain = org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN;
        for (var data : java.util.List.of(renderer.render(shown), renderer.renderAs(shown, "text/html"))) {
            assertEquals(Render.html(TABLE), data.getData(html));
            assertEquals(Render.text(TABLE), data.getData(plain));
        }
    }

    @Test
    void theViewPrintsAsItsText() {
        Render.Shown shown = Render.table(TABLE);
        assertEquals(Render.text(TABLE), shown.toString());
        assertEquals(Render.text(TABLE), shown.text());
        assertEquals(Render.html(TABLE), shown.html());
    }
}
