package dev.hyphae.node.account;

import java.util.List;

/** One way through user-interactive authentication: the stages to complete, in order. */
public record AuthFlow(List<String> stages) {
    public static final String PASSWORD = "m.login.password";
    public static final String DUMMY = "m.login.dummy";
    public static final String REGISTRATION_TOKEN = "m.login.registration_token";

    public AuthFlow {
        stages = List.copyOf(stages);
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("a flow has at least one stage");
        }
    }

    public static AuthFlow of(String... stages) {
        return new AuthFlow(List.of(stages));
    }
}
