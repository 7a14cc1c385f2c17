package io.keyshift.ui.common;

import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.function.Supplier;

/**
 * Loads FXML with the app's resource bundle and with controllers built by the caller (constructor
 * injection), so a controller's collaborators are explicit and tests can build it with {@code new}.
 */
public final class FxmlLoaderFactory {

    public static final String BUNDLE = "io.keyshift.ui.messages";

    private final Map<Class<?>, Supplier<?>> controllers;

    public FxmlLoaderFactory(Map<Class<?>, Supplier<?>> controllers) {
        this.controllers = controllers;
    }

    /** This factory and one more controller (for pages with more controllers than {@code Map.of} takes). */
    public FxmlLoaderFactory with(Class<?> type, Supplier<?> controller) {
        Map<Class<?>, Supplier<?>> more = new HashMap<>(controllers);
        more.put(type, controller);
        return new FxmlLoaderFactory(more);
    }

    public static ResourceBundle messages() {
        return ResourceBundle.getBundle(BUNDLE);
    }

    /** Loads {@code /io/keyshift/ui/<path>}; its {@code fx:controller} must be one this factory knows. */
    public Parent load(String path) {
        FXMLLoader loader = new FXMLLoader(FxmlLoaderFactory.class.getResource("/io/keyshift/ui/" + path), messages());
        loader.setControllerFactory(type -> {
            Supplier<?> supplier = controllers.get(type);
            if (supplier == null) {
                throw new IllegalStateException("No controller registered for " + type.getName() + " (" + path + ")");
            }
            return supplier.get();
        });
        try {
            return loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not load " + path, e);
        }
    }
}
