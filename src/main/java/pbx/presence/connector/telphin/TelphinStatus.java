package pbx.presence.connector.telphin;

import pbx.presence.model.CallClass;

import java.util.List;
import java.util.Set;

/**
 * One of the client's extension statuses ({@code GET client/{client_id}/extension/call_status/}).
 *
 * @param id           the status id extensions refer to
 * @param name         the status's own name, e.g. "Lunch" (the canonical presenceLabel)
 * @param propertyList the raw mnemo codes as sent, undocumented ones included; null when the status had no list
 * @param allowedCalls the call classes the documented codes allow; null when the status had no list
 */
record TelphinStatus(String id, String name, List<String> propertyList, Set<CallClass> allowedCalls) {
}
