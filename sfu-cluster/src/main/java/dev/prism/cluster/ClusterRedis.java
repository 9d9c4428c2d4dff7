package dev.prism.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * The cluster's Redis client: every call is asynchronous, bounded by the command timeout and fails with
 * {@link ClusterUnavailable} (never hangs, never blocks the calling event loop). Counts the commands it sends, so a
 * node's own Redis traffic can be measured.
 *
 * <p>A call that timed out may still run on Redis later (a stopped server answers when continued); the placement
 * protocol tolerates that: a late claim leaves a valid record that the next lookup reads.
 *
 * <p>Thread-safe. Futures complete on a Vert.x event loop (the caller's context when called from one).
 */
public final class ClusterRedis {
    private final Redis redis;
    private final long timeoutMillis;
    private final LongAdder commands = new LongAdder();

    private ClusterRedis(Redis redis, long timeoutMillis) {
        this.redis = redis;
        this.timeoutMillis = timeoutMillis;
    }

    /** A pooled client of the Redis at {@code url} ({@code redis://host:port[/db]}); connects lazily. */
    public static ClusterRedis create(Vertx vertx, String url, ClusterSettings settings) {
        int connectTimeout = (int) Math.min(Integer.MAX_VALUE, settings.commandTimeoutMillis());
        RedisOptions options = new RedisOptions()
                .setConnectionString(url)
                .setMaxPoolSize(8)
                .setMaxPoolWaiting(1024)
                .setMaxWaitingHandlers(4096)
                .setNetClientOptions(new NetClientOptions().setConnectTimeout(connectTimeout).setTcpNoDelay(true));
        return new ClusterRedis(Redis.createClient(vertx, options), settings.commandTimeoutMillis());
    }

    /** Sends one command. */
    public Future<Response> send(Request request) {
        commands.increment();
        return bounded(redis.send(request));
    }

    /** Sends commands pipelined on one connection (not a transaction: each runs on its own). */
    public Future<List<Response>> batch(List<Request> requests) {
        commands.add(requests.size());
        return bounded(redis.batch(requests));
    }

    /** Runs a script by its SHA-1, loading it with EVAL the first time this Redis has not seen it. */
    Future<Response> eval(LuaScript script, List<String> keys, List<String> args) {
        commands.increment();
        return bounded(redis.send(scriptRequest(Command.EVALSHA, script.sha1(), keys, args)))
                .recover(failure -> {
                    if (failure instanceof ClusterUnavailable && failure.getCause() != null
                            && String.valueOf(failure.getCause().getMessage()).startsWith("NOSCRIPT")) {
                        commands.increment();
                        return bounded(redis.send(scriptRequest(Command.EVAL, script.text(), keys, args)));
                    }
                    return Future.failedFuture(failure);
                });
    }

    /** Commands sent since this client was made (scripts count one, batches their size). */
    public long commandsSent() {
        return commands.sum();
    }

    public Future<Void> close() {
        return redis.close();
    }

    private static Request scriptRequest(Command command, String script, List<String> keys, List<String> args) {
        Request request = Request.cmd(command).arg(script).arg(keys.size());
        for (String key : keys) {
            request.arg(key);
        }
        for (String arg : args) {
            request.arg(arg);
        }
        return request;
    }

    private <T> Future<T> bounded(Future<T> call) {
        return call.timeout(timeoutMillis, TimeUnit.MILLISECONDS).recover(failure -> {
            if (failure instanceof ClusterUnavailable) {
                return Future.failedFuture(failure);
            }
            if (failure instanceof TimeoutException) {
                return Future.failedFuture(new ClusterUnavailable(ClusterUnavailable.Reason.REDIS_TIMEOUT,
                        "Redis did not answer within " + timeoutMillis + " ms", failure));
            }
            return Future.failedFuture(new ClusterUnavailable(ClusterUnavailable.Reason.REDIS_UNREACHABLE,
                    String.valueOf(failure.getMessage()), failure));
        });
    }
}
