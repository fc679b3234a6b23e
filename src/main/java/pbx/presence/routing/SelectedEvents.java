package pbx.presence.routing;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

import java.util.ArrayList;
import java.util.List;

/**
 * Split aggregation for the e-mail digest: collects, in order, the event lines that passed the
 * sink's filter (marked with the {@value #SELECTED} property) into one list body.
 */
public final class SelectedEvents implements AggregationStrategy {

    public static final String SELECTED = "pbxSelected";

    @Override
    @SuppressWarnings("unchecked")
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        Exchange result = oldExchange != null ? oldExchange : newExchange;
        List<String> selected = oldExchange == null ? new ArrayList<>() : result.getProperty("pbxSelectedLines", List.class);
        if (Boolean.TRUE.equals(newExchange.getProperty(SELECTED, Boolean.class))) {
            selected.add(newExchange.getMessage().getBody(String.class));
        }
        result.setProperty("pbxSelectedLines", selected);
        return result;
    }

    @Override
    public void onCompletion(Exchange exchange) {
        if (exchange != null) {
            Object lines = exchange.getProperty("pbxSelectedLines");
            exchange.getMessage().setBody(lines == null ? new ArrayList<String>() : lines);
            exchange.removeProperty("pbxSelectedLines");
        }
    }
}
