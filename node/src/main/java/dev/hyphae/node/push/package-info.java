/**
 * Push rules: the server-default rules of v1.19 ({@code DefaultPushRules}), the user's rules
 * ({@code PushRulesService}, stored per user and published as {@code m.push_rules} account data),
 * and the evaluator that decides whether an event notifies or highlights a user
 * ({@code PushEvaluator}, pure; the room facts it needs come in a {@code RoomPushContext}).
 *
 * <p>{@code PropertyPath} (dot-separated property paths with escaping) and {@code GlobPattern}
 * (glob-style matching, whole value or between word boundaries) follow the appendices.
 */
package dev.hyphae.node.push;
