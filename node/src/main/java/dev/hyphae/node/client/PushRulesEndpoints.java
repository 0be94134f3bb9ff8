package dev.hyphae.node.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.http.Authentication;
import dev.hyphae.node.http.EndpointGroup;
import dev.hyphae.node.http.JsonBody;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.http.RouteTable;
import dev.hyphae.node.identifier.UserId;
import dev.hyphae.node.push.PushRule;
import dev.hyphae.node.push.PushRulesService;
import java.util.Objects;

/** Push rules (client-server API, "Push Rules: API") of the requesting user, scope {@code global}. */
public final class PushRulesEndpoints implements EndpointGroup {
    private final PushRulesService pushRules;

    public PushRulesEndpoints(PushRulesService pushRules) {
        this.pushRules = Objects.requireNonNull(pushRules, "pushRules");
    }

    @Override
    public void register(RouteTable routes) {
        String rule = "/_matrix/client/v3/pushrules/global/{kind}/{ruleId}";
        routes.add(Method.GET, "/_matrix/client/v3/pushrules/", Authentication.REQUIRED, this::all)
                .add(Method.GET, "/_matrix/client/v3/pushrules/global/", Authentication.REQUIRED, this::global)
                .add(Method.GET, rule, Authentication.REQUIRED, this::rule)
                .add(Method.PUT, rule, Authentication.REQUIRED, this::putRule)
                .add(Method.DELETE, rule, Authentication.REQUIRED, this::deleteRule)
                .add(Method.GET, rule + "/enabled", Authentication.REQUIRED, this::enabled)
                .add(Method.PUT, rule + "/enabled", Authentication.REQUIRED, this::setEnabled)
                .add(Method.GET, rule + "/actions", Authentication.REQUIRED, this::actions)
                .add(Method.PUT, rule + "/actions", Authentication.REQUIRED, this::setActions);
    }

    /** GET /_matrix/client/v3/pushrules/ */
    MatrixResponse all(MatrixRequest request) {
        return MatrixResponse.ok(pushRules.rulesFor(request.requester().userId()).toJson());
    }

    /** GET /_matrix/client/v3/pushrules/global/ */
    MatrixResponse global(MatrixRequest request) {
        return MatrixResponse.ok(pushRules.rulesFor(request.requester().userId()).globalJson());
    }

    /** GET /_matrix/client/v3/pushrules/global/{kind}/{ruleId} */
    MatrixResponse rule(MatrixRequest request) {
        return MatrixResponse.ok(find(request).toJson());
    }

    /** PUT /_matrix/client/v3/pushrules/global/{kind}/{ruleId} */
    MatrixResponse putRule(MatrixRequest request) {
        UserId user = request.requester().userId();
        ObjectNode body = request.jsonObject().raw();
        String before = request.queryParameter("before").orElse(null);
        String after = request.queryParameter("after").orElse(null);
        ServiceErrors.await(ServiceErrors.call(() -> pushRules.putRule(user, request.pathParameter("kind"),
                request.pathParameter("ruleId"), body, before, after)));
        return empty();
    }

    /** DELETE /_matrix/client/v3/pushrules/global/{kind}/{ruleId} */
    MatrixResponse deleteRule(MatrixRequest request) {
        UserId user = request.requester().userId();
        ServiceErrors.await(ServiceErrors.call(() -> pushRules.deleteRule(user, request.pathParameter("kind"),
                request.pathParameter("ruleId"))));
        return empty();
    }

    /** GET /_matrix/client/v3/pushrules/global/{kind}/{ruleId}/enabled */
    MatrixResponse enabled(MatrixRequest request) {
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.put("enabled", find(request).enabled());
        return MatrixResponse.ok(response);
    }

    /** PUT /_matrix/client/v3/pushrules/global/{kind}/{ruleId}/enabled */
    MatrixResponse setEnabled(MatrixRequest request) {
        UserId user = request.requester().userId();
        JsonBody body = request.jsonObject();
        boolean enabled = body.optionalBoolean("enabled")
                .orElseThrow(() -> MatrixException.missingParam("Missing field 'enabled'"));
        ServiceErrors.await(ServiceErrors.call(() -> pushRules.setEnabled(user, request.pathParameter("kind"),
                request.pathParameter("ruleId"), enabled)));
        return empty();
    }

    /** GET /_matrix/client/v3/pushrules/global/{kind}/{ruleId}/actions */
    MatrixResponse actions(MatrixRequest request) {
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.set("actions", find(request).actionsJson());
        return MatrixResponse.ok(response);
    }

    /** PUT /_matrix/client/v3/pushrules/global/{kind}/{ruleId}/actions */
    MatrixResponse setActions(MatrixRequest request) {
        UserId user = request.requester().userId();
        JsonNode actions = request.jsonObject().raw().get("actions");
        if (actions == null || actions.isNull()) {
            throw MatrixException.missingParam("Missing field 'actions'");
        }
        ServiceErrors.await(ServiceErrors.call(() -> pushRules.setActions(user, request.pathParameter("kind"),
                request.pathParameter("ruleId"), actions)));
        return empty();
    }

    private PushRule find(MatrixRequest request) {
        return ServiceErrors.call(() -> pushRules.getRule(request.requester().userId(),
                request.pathParameter("kind"), request.pathParameter("ruleId")));
    }

    private static MatrixResponse empty() {
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }
}
