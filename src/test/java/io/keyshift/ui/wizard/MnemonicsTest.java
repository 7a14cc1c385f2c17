package io.keyshift.ui.wizard;

import io.keyshift.ui.common.FxmlLoaderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Alt+letter must do one thing on every page. A page is shown inside the main window, so the window's
 * own controls count on each page too; with two controls on one letter JavaFX only moves the focus
 * between them, and the key a DBA pressed does nothing.
 */
class MnemonicsTest {

    private static final String WINDOW = "shell/main_window.fxml";
    private static final List<String> PAGES = List.of("welcome/welcome.fxml", "connect/connect.fxml",
            "keyvault/keyvault.fxml", "source/source.fxml", "target/target.fxml", "plan/plan.fxml", "schema/schema.fxml",
            "run/run.fxml", "verify/verify.fxml", "error/error.fxml");

    private final ResourceBundle messages = FxmlLoaderFactory.messages();

    /** Forms of which a page shows one at a time (the Target KMS page's provider forms): each is checked on its own. */
    private static final Map<String, List<String>> ONE_AT_A_TIME = Map.of("target/target.fxml",
            List.of("target/local_form.fxml", "target/aws_form.fxml", "target/kmip_form.fxml",
                    "target/azure_form.fxml", "target/gcp_form.fxml"));

    @Test
    void everyLetterOnAPageBelongsToOneControl() throws Exception {
        List<String> window = mnemonicTexts(WINDOW);
        for (String page : PAGES) {
            for (String form : ONE_AT_A_TIME.getOrDefault(page, List.of(""))) {
                List<String> texts = new ArrayList<>(window);
                texts.addAll(mnemonicTexts(page));
                if (!form.isEmpty()) {
                    texts.addAll(mnemonicTexts(form));
                }
                assertOneControlPerLetter(page + (form.isEmpty() ? "" : " with " + form), texts);
            }
        }
    }

    private static void assertOneControlPerLetter(String page, List<String> texts) {
        Map<Character, List<String>> byLetter = texts.stream().collect(Collectors.groupingBy(MnemonicsTest::letter,
                TreeMap::new, Collectors.toList()));

        assertThat(byLetter).as(page).allSatisfy((letter, controls) -> assertThat(controls).as("Alt+%s on %s", letter, page)
                .hasSize(1));
    }

    /** The texts, resolved from the bundle, of the controls that parse a mnemonic, included views' too. */
    private List<String> mnemonicTexts(String fxml) throws Exception {
        List<String> texts = new ArrayList<>();
        try (InputStream in = MnemonicsTest.class.getResourceAsStream("/io/keyshift/ui/" + fxml)) {
            NodeList elements = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in).getElementsByTagName("*");
            for (int i = 0; i < elements.getLength(); i++) {
                Element element = (Element) elements.item(i);
                if (element.getTagName().equals("fx:include") && !isOneAtATime(element.getAttribute("source"))) {
                    // An included view (the Key vault page's Health view) is part of its page.
                    texts.addAll(mnemonicTexts(fxml.substring(0, fxml.lastIndexOf('/') + 1) + element.getAttribute("source")));
                }
                String text = element.getAttribute("text");
                String shown = text.startsWith("%") ? messages.getString(text.substring(1)) : text;
                if ("true".equals(element.getAttribute("mnemonicParsing")) && shown.contains("_")) {
                    texts.add(shown);
                }
            }
        }
        return texts;
    }

    private static boolean isOneAtATime(String source) {
        return ONE_AT_A_TIME.values().stream().flatMap(List::stream).anyMatch(form -> form.endsWith("/" + source));
    }

    private static char letter(String text) {
        return Character.toUpperCase(text.charAt(text.indexOf('_') + 1));
    }
}
