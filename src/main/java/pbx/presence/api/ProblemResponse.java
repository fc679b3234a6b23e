package pbx.presence.api;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the failure of an API route into its RFC 9457 answer: an {@link ApiProblem} with its own
 * status and detail, anything else as a 500 whose body says nothing internal (the log has it).
 */
public final class ProblemResponse implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemResponse.class);

    @Override
    public void process(Exchange exchange) {
        Throwable t = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Problem problem;
        if (t instanceof ApiProblem p) {
            problem = p.problem();
        } else {
            LOG.warn("API request {} failed: {}", exchange.getMessage().getHeader(Exchange.HTTP_URI), t == null ? "?" : t.getClass().getName());
            problem = Problem.of(500, "The router could not answer this request; its log says why");
        }
        String path = exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class);
        // request headers would otherwise be echoed as response headers
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, problem.status());
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, Problem.MEDIA_TYPE);
        exchange.getMessage().setBody(problem.json(path));
    }
}
