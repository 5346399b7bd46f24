package dev.embedstream.simulator;

import java.time.Instant;
import java.util.List;

/**
 * A consistent snapshot of what the simulator has answered on {@code /v1/embeddings} since it started.
 *
 * @param requests       embeddings requests received
 * @param ok             answered 200 (including deliberately corrupted 200s)
 * @param rateLimited    answered 429, real or injected
 * @param serverErrors   answered 5xx
 * @param clientErrors   answered another 4xx (400, 401, 404, 405, 413)
 * @param dropped        closed without an answer (injected reset or timeout)
 * @param inputsEmbedded vectors sent in 200 answers
 * @param tokensCharged  tokens taken from the TPM budgets, i.e. by every admitted request
 * @param minutes        the same counts per clock minute, oldest first, for the last hour with traffic
 */
public record Stats(long requests, long ok, long rateLimited, long serverErrors, long clientErrors, long dropped,
                   long inputsEmbedded, long tokensCharged, List<Minute> minutes) {

    public Stats {
        minutes = List.copyOf(minutes);
    }

    /** Counts of one minute of the simulator's clock, starting at {@code start}. */
    public record Minute(Instant start, long requests, long ok, long rateLimited, long serverErrors,
                         long clientErrors, long dropped, long inputsEmbedded, long tokensCharged) {
    }
}
