package io.keyshift.ui.settings;

import io.keyshift.core.cluster.ConnectionProfile;
import org.bson.Document;

import java.util.ArrayList;
import java.util.List;

/**
 * What KeyShift remembers between runs: recent connections (never with their password), the last
 * key vault, region and CMK, and the window's bounds. Never a secret.
 */
public final class Settings {

    static final int MAX_RECENT_CONNECTIONS = 8;

    private final List<String> recentConnections = new ArrayList<>();
    private String lastKeyVault;
    private String lastRegion;
    private String lastCmk;
    private double[] windowBounds;

    /** Puts the connection string first in the recent list, without its password. */
    public void connectedTo(String connectionString) {
        String withoutPassword = ConnectionProfile.withoutPassword(connectionString);
        recentConnections.remove(withoutPassword);
        recentConnections.add(0, withoutPassword);
        while (recentConnections.size() > MAX_RECENT_CONNECTIONS) {
            recentConnections.remove(recentConnections.size() - 1);
        }
    }

    public List<String> recentConnections() {
        return List.copyOf(recentConnections);
    }

    public String lastKeyVault() {
        return lastKeyVault;
    }

    public void lastKeyVault(String namespace) {
        this.lastKeyVault = namespace;
    }

    public String lastRegion() {
        return lastRegion;
    }

    public String lastCmk() {
        return lastCmk;
    }

    public void lastAwsTarget(String region, String cmk) {
        this.lastRegion = region;
        this.lastCmk = cmk;
    }

    /** {x, y, width, height}, or null before the window was ever closed. */
    public double[] windowBounds() {
        return windowBounds == null ? null : windowBounds.clone();
    }

    public void windowBounds(double x, double y, double width, double height) {
        this.windowBounds = new double[] {x, y, width, height};
    }

    Document toDocument() {
        Document doc = new Document("recentConnections", recentConnections());
        if (lastKeyVault != null) {
            doc.append("lastKeyVault", lastKeyVault);
        }
        if (lastRegion != null) {
            doc.append("lastRegion", lastRegion).append("lastCmk", lastCmk);
        }
        if (windowBounds != null) {
            doc.append("window", new Document("x", windowBounds[0]).append("y", windowBounds[1])
                    .append("width", windowBounds[2]).append("height", windowBounds[3]));
        }
        return doc;
    }

    static Settings fromDocument(Document doc) {
        Settings settings = new Settings();
        List<String> recent = doc.getList("recentConnections", String.class, List.of());
        for (int i = recent.size() - 1; i >= 0; i--) {
            settings.connectedTo(recent.get(i));
        }
        settings.lastKeyVault = doc.getString("lastKeyVault");
        settings.lastRegion = doc.getString("lastRegion");
        settings.lastCmk = doc.getString("lastCmk");
        Document window = doc.get("window", Document.class);
        if (window != null) {
            settings.windowBounds(window.getDouble("x"), window.getDouble("y"), window.getDouble("width"),
                    window.getDouble("height"));
        }
        return settings;
    }
}
