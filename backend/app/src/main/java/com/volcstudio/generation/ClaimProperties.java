package com.volcstudio.generation;

import com.volcstudio.config.InvalidSettingException;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Claims of tasks by replicas sharing one PostgreSQL database (issue 18).
 *
 * @param lease how long a replica's claim of a task holds unless renewed ({@code TASK_LEASE}); a
 *     replica renews its claims every third of it, and a killed replica's tasks are taken over by
 *     another once it runs out
 * @param poll how often a replica looks in the database for tasks it could claim: submitted on
 *     another replica, retried, or left by a replica that stopped renewing ({@code
 *     TASK_CLAIM_POLL})
 */
@ConfigurationProperties("claims")
public record ClaimProperties(
    @DefaultValue("30s") Duration lease, @DefaultValue("2s") Duration poll) {

  public ClaimProperties {
    if (lease.compareTo(Duration.ofSeconds(2)) < 0 || lease.toHours() > 1) {
      throw new InvalidSettingException(
          "TASK_LEASE",
          "must be from 2s to 1h, not " + lease.toString().substring(2).toLowerCase());
    }
    if (poll.compareTo(Duration.ofMillis(100)) < 0 || poll.compareTo(lease) >= 0) {
      throw new InvalidSettingException(
          "TASK_CLAIM_POLL",
          "must be from 100ms to less than TASK_LEASE, not "
              + poll.toString().substring(2).toLowerCase());
    }
  }
}
