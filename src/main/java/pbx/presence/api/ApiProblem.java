package pbx.presence.api;

/**
 * A request the API answers with an RFC 9457 problem ({@code application/problem+json}): the HTTP
 * status, a short title and a detail written for the person reading it. Thrown by the API bean; the
 * YAML route configuration {@code api-problems} turns it into the answer.
 */
public final class ApiProblem extends RuntimeException {

    private final Problem problem;

    public ApiProblem(int status, String detail) {
        super(detail, null, false, false);
        this.problem = Problem.of(status, detail);
    }

    /** A 503: the API cannot serve this right now (the YAML's throwException uses this constructor). */
    public ApiProblem(String detail) {
        this(503, detail);
    }

    public Problem problem() {
        return problem;
    }
}
